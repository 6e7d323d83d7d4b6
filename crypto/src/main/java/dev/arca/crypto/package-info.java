/** Arca's cryptographic formats: sealed models, HPKE key release and Oblivious HTTP. */
package dev.arca.crypto;

// SPDX-License-Identifier: Apache-2.0
/** Arca's cryptographic formats: sealed models, HPKE key release and Oblivious HTTP. */
package dev.arca.crypto;

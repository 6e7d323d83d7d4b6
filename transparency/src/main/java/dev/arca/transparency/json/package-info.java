// SPDX-License-Identifier: Apache-2.0
/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) over Jackson trees, restricted to the value kinds
 * audit entries use: objects, arrays, strings, integers of at most 2^53 - 1 in magnitude, booleans
 * and null.
 */
package dev.arca.transparency.json;

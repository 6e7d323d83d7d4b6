// SPDX-License-Identifier: Apache-2.0
/**
 * C2SP tlog-tiles (c2sp.org/tlog-tiles): the Merkle tree served as static tiles of 256 hashes
 * ({@code tile/<L>/<N>[.p/<W>]}) and entries as bundles ({@code tile/entries/<N>[.p/<W>]}), plus
 * the tile math that maps proof nodes to the tiles holding them, so a service can serve tiles from
 * its store and an auditor can compute any proof from fetched tiles.
 */
package dev.arca.transparency.tiles;

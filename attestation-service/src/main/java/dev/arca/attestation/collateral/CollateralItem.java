// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import java.time.Instant;

/**
 * A stored collateral item, as the API lists it (never its content).
 *
 * @param id the store's id
 * @param format {@code sev-snp} or {@code tdx}
 * @param kind see {@link CollateralKind#id()}
 * @param key what it is selected by (chip id / TCB, FMSPC, PCK CA, product, ...)
 * @param name the file name it was uploaded as
 * @param sha256 hex SHA-256 of its content
 * @param issuedAt when its issuer made it
 * @param notAfter when it stops being usable
 * @param importedAt when it was uploaded
 * @param importedBy who uploaded it
 * @param expired whether {@code notAfter} has passed
 * @param superseded whether a newer item (by {@code issuedAt}) has the same format, kind and key
 */
public record CollateralItem(
    long id,
    String format,
    String kind,
    String key,
    String name,
    String sha256,
    Instant issuedAt,
    Instant notAfter,
    Instant importedAt,
    String importedBy,
    boolean expired,
    boolean superseded) {}

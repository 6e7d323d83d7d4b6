package dev.arca.attestation.audit;

/**
 * Where an audit entry landed.
 *
 * @param sequence the entry's index in the log, from 1
 */
public record AuditReceipt(long sequence) {}

// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import picocli.CommandLine.Command;

/** {@code arca evidence}: work with attestation evidence. */
@Command(
    name = "evidence",
    description = "Verify attestation evidence offline.",
    mixinStandardHelpOptions = true,
    subcommands = {EvidenceVerifyCommand.class})
public final class EvidenceCommand {}

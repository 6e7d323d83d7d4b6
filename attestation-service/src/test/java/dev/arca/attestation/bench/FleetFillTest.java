// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.bench;

import static dev.arca.attestation.testing.DevDevice.model;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.audit.log.PgLogReader;
import dev.arca.attestation.integrity.RowSeals;
import dev.arca.attestation.integrity.SealedTable;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.InMemoryLog;
import dev.arca.transparency.merkle.MerkleHashes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The fleet-scale benchmark's fill ({@link FleetFill}) against the real PostgreSQL, in a
 * transaction rolled back at the end: its log is the log the service itself would have written
 * (every root and proof equal to the {@link InMemoryLog} oracle's over the same leaves, across two
 * fills that start at unaligned sizes), and its devices are refused until sealed, as the service
 * refuses any unsealed row.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class FleetFillTest {
  @Inject DataSource dataSource;
  @Inject RowSeals seals;

  @Test
  void theFilledLogIsTheOneTheServiceWouldWriteAndFilledDevicesAreRefusedUntilSealed()
      throws Exception {
    TestModels.publish(TestModels.seal("fill-model", 1, List.of("synthetic"), 512))
        .then()
        .statusCode(201);
    TestPolicy.activate();
    DevDevice template = new DevDevice("fill-template");
    template.enrol(Map.of("class", "fill-box"));
    given()
        .contentType(ContentType.JSON)
        .body(template.request(DevDevice.challenge(), List.of(model("fill-model", "synthetic"))))
        .post("/v1/attestations")
        .then()
        .statusCode(200);

    try (Connection tx = dataSource.getConnection()) {
      tx.setAutoCommit(false);
      try {
        long templateIndex =
            FleetFill.single(
                tx,
                "SELECT max(idx) FROM tlog_entry WHERE subject = 'device:fill-template'"
                    + " AND type = 'attestation.appraised'");
        long before = FleetFill.single(tx, "SELECT size FROM tlog_head");
        long middle = FleetFill.auditEntries(tx, templateIndex, "fill-template", 1000);
        long after = FleetFill.auditEntries(tx, templateIndex, "fill-template", 333);
        assertThat(middle).isEqualTo(before + 1000);
        assertThat(after).isEqualTo(middle + 333);

        PgLogReader stored = new PgLogReader(tx);
        InMemoryLog oracle = new InMemoryLog();
        oracle.append(stored.entries(0, after));
        for (long size : List.of(before, before + 1, middle, middle + 1, after)) {
          assertThat(stored.rootHash(size)).isEqualTo(oracle.rootHash(size));
        }
        for (long index : List.of(0L, before - 1, before, middle - 1, middle, after - 1)) {
          assertThat(stored.inclusionProof(index, after))
              .containsExactlyElementsOf(oracle.inclusionProof(index, after));
        }
        assertThat(stored.consistencyProof(before, after))
            .containsExactlyElementsOf(oracle.consistencyProof(before, after));
        AuditEntry filled = AuditEntry.fromLeafBytes(stored.entries(middle + 7, middle + 8).get(0));
        assertThat(filled.type()).isEqualTo("attestation.appraised");
        assertThat(filled.actor()).isEqualTo("device:fleet-" + (middle + 7));
        byte[] last = stored.entries(after - 1, after).get(0);
        assertThat(stored.indexOfLeafHash(MerkleHashes.leafHash(last))).hasValue(after - 1);

        FleetFill.devices(tx, "fill-template", 300);
        assertThat(FleetFill.single(tx, "SELECT count(*) FROM device WHERE id LIKE 'fleet-%'"))
            .isEqualTo(300);
        try (PreparedStatement ps =
            tx.prepareStatement(
                "SELECT " + SealedTable.DEVICE.columns() + " FROM device WHERE id = 'fleet-299'")) {
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> seals.verify(SealedTable.DEVICE, rs))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("device(id=fleet-299)");
          }
        }
      } finally {
        tx.rollback();
      }
    }
  }
}

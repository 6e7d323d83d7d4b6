// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.sevsnp.Product;
import dev.arca.evidence.sevsnp.TcbBaseline;
import dev.arca.evidence.sevsnp.VcekKey;
import dev.arca.evidence.tdx.PckRevocation;
import dev.arca.evidence.tdx.TdxCollateralKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One uploaded collateral file, recognised: its kind (from its name), the key it is selected by and
 * its validity, read from its content. Reading is not verifying: no signature is checked here (the
 * verifier checks them at every use), but a file that does not parse as what its name says is
 * refused, so the store holds only what a verifier can read.
 *
 * @param kind what it is
 * @param key what it is selected by (see {@link CollateralKind})
 * @param issuedAt when its issuer made it (certificate notBefore, CRL thisUpdate, issueDate — for a
 *     TCB baseline the security team's): the newest per key is current, whatever the order of
 *     upload
 * @param notAfter when it stops being usable (certificate notAfter, the earliest of a chain; CRL
 *     nextUpdate; nextUpdate)
 */
public record CollateralFile(CollateralKind kind, String key, Instant issuedAt, Instant notAfter) {

  /**
   * Recognises {@code content} uploaded as {@code name} for {@code format}.
   *
   * @throws ProblemException {@code unknown-format} for a format without collateral; {@code
   *     collateral-invalid} for a name no kind has, or content that is not what the name says
   */
  public static CollateralFile recognise(String format, String name, byte[] content) {
    if (!"sev-snp".equals(format) && !"tdx".equals(format)) {
      throw new ProblemException(
          ProblemType.UNKNOWN_FORMAT,
          "format '" + format + "': collateral is stored for sev-snp and tdx only");
    }
    CollateralKind kind =
        CollateralKind.byName(format, name)
            .orElseThrow(
                () ->
                    invalid(
                        "'"
                            + name
                            + "' is not a "
                            + format
                            + " collateral file name; accepted: "
                            + CollateralKind.ACCEPTED));
    try {
      return read(kind, name, content);
    } catch (ProblemException e) {
      throw e;
    } catch (EvidenceException e) {
      throw invalid("'" + name + "' is not a readable " + kind.id() + ": " + e.getMessage());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw invalid("'" + name + "' is not a readable " + kind.id() + ": " + e.getMessage());
    }
  }

  private static CollateralFile read(CollateralKind kind, String name, byte[] content)
      throws EvidenceException, GeneralSecurityException {
    return switch (kind) {
      case VCEK -> {
        X509Certificate cert = certificates(content).get(0);
        yield new CollateralFile(
            kind,
            VcekKey.ofCertificate(content).toString(),
            cert.getNotBefore().toInstant(),
            cert.getNotAfter().toInstant());
      }
      case ASK_ARK -> {
        List<X509Certificate> certs = certificates(content);
        yield chain(kind, product(VcekKey.productOf(certs.get(0))), certs);
      }
      case AMD_CRL -> {
        X509CRL crl = crl(content);
        String product =
            Product.fromName(crl.getIssuerX500Principal().getName())
                .map(CollateralFile::product)
                .orElseThrow(
                    () ->
                        invalid(
                            "'"
                                + name
                                + "' is issued by "
                                + crl.getIssuerX500Principal().getName()
                                + ", no AMD key of Milan, Genoa or Turin"));
        yield crl(kind, product, crl);
      }
      case TCB_BASELINE -> {
        TcbBaseline b = TcbBaseline.parse(content);
        yield new CollateralFile(kind, product(b.product()), b.issueDate(), b.nextUpdate());
      }
      case TCB_INFO -> {
        TdxCollateralKey.Dates d = TdxCollateralKey.datesOfTcbInfo(content);
        if (!"TDX".equals(d.id())) {
          throw invalid(
              "'" + name + "' is the " + d.id() + " TCB info; TDX quotes need the TDX one");
        }
        yield new CollateralFile(
            kind, TdxCollateralKey.fmspcOfTcbInfo(content), d.issueDate(), d.nextUpdate());
      }
      case QE_IDENTITY -> {
        TdxCollateralKey.Dates d = TdxCollateralKey.datesOfQeIdentity(content);
        if (!"TD_QE".equals(d.id())) {
          throw invalid(
              "'" + name + "' is the identity of " + d.id() + "; TDX quotes need TD_QE's");
        }
        yield new CollateralFile(kind, d.id(), d.issueDate(), d.nextUpdate());
      }
      // Filed by issuer: the store picks the CRL of the quote's PCK CA and of its chain's root.
      case PCK_CRL, ROOT_CRL ->
          crl(
              kind,
              TdxCollateralKey.issuerOfCrl(content, "tdx." + kind.id()),
              tdxCrl(content, kind));
      case ISSUER_CHAIN -> {
        String signs = name.toLowerCase(Locale.ROOT).replace("_issuer_chain.pem", "");
        String key =
            switch (signs) {
              case "tcbinfo" -> "tcb-info";
              case "qeidentity" -> "qe-identity";
              default -> "pck-crl";
            };
        yield chain(kind, key, certificates(content));
      }
    };
  }

  private static String product(Product p) {
    return p.displayName().toLowerCase(Locale.ROOT);
  }

  private static CollateralFile chain(
      CollateralKind kind, String key, List<X509Certificate> certs) {
    Instant issued = Instant.MIN;
    Instant notAfter = Instant.MAX;
    for (X509Certificate c : certs) {
      issued = max(issued, c.getNotBefore().toInstant());
      Instant end = c.getNotAfter().toInstant();
      notAfter = end.isBefore(notAfter) ? end : notAfter;
    }
    return new CollateralFile(kind, key, issued, notAfter);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static CollateralFile crl(CollateralKind kind, String key, X509CRL crl) {
    if (crl.getNextUpdate() == null) {
      throw invalid("the CRL names no next update, so its currency cannot be judged");
    }
    return new CollateralFile(
        kind, key, crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant());
  }

  private static List<X509Certificate> certificates(byte[] content)
      throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(content))) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new java.security.cert.CertificateException("no certificate in it");
    }
    return out;
  }

  private static X509CRL crl(byte[] content) throws GeneralSecurityException {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(content));
  }

  private static X509CRL tdxCrl(byte[] content, CollateralKind kind) throws EvidenceException {
    return PckRevocation.parse(content, "tdx." + kind.id());
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(
        ProblemType.COLLATERAL_INVALID, detail, Map.of("accepted", CollateralKind.ACCEPTED));
  }
}

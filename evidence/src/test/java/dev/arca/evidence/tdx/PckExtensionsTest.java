// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.testing.TestPki;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.BERSequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;

/**
 * The SGX extensions of a PCK certificate: the real PCK of the TDX vector, and test-made
 * certificates whose extension breaks one rule of Intel's PCK certificate profile each.
 */
class PckExtensionsTest {
  private static final String SGX = PckExtensions.SGX_EXTENSIONS;
  private static final String TCB = SGX + ".2";
  private static final KeyPair KEY = TestPki.p256();

  @Test
  void theVectorsPckCarriesItsPlatformsTcb() throws Exception {
    TdxQuote quote = TdxQuote.parse(TdxVerifierTest.QUOTE);
    X509Certificate pck = StrictPem.certificates(quote.pckChain(), "test.pem.malformed").get(0);

    PckExtensions ext = PckExtensions.of(pck);

    assertThat(ext.fmspc()).isEqualTo("50806f000000");
    assertThat(ext.pceId()).isEqualTo("0000");
    assertThat(ext.pceSvn()).isEqualTo(11);
    assertThat(ext.ppid()).isEqualTo("089ddfdb9c0359c82a3bc7719239574e");
    assertThat(ext.cpuSvn()).isEqualTo("03030202020100020000000000000000");
    assertThat(ext.sgxTcbComponents())
        .containsExactly(3, 3, 2, 2, 2, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void aWellFormedTestExtensionParses() throws Exception {
    PckExtensions ext = PckExtensions.of(pck(encode(top(tcb()))));
    assertThat(ext.fmspc()).isEqualTo("50806f000000");
    assertThat(ext.sgxTcbComponents())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    assertThat(ext.pceSvn()).isEqualTo(11);
  }

  @Test
  void aParsedExtensionIsRememberedByItsBytesOnly() throws Exception {
    byte[] good = encode(top(tcb()));
    PckExtensions first = PckExtensions.of(pck(good));
    // Another certificate with the same extension value: the same (immutable) parse.
    assertThat(PckExtensions.of(pck(good.clone()))).isSameAs(first);

    byte[] otherTcb = encode(top(replace(tcb(), TCB + ".1", pair(TCB + ".1", svn(9)))));
    assertThat(PckExtensions.of(pck(otherTcb)).sgxTcbComponents()[0]).isEqualTo(9);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertRefused(truncated);
    assertRefused(truncated);
    assertThat(PckExtensions.of(pck(good)).sgxTcbComponents()[0]).isEqualTo(1);
  }

  @Test
  void anEntryOutsideTheSgxArcIsRefused() {
    // Same length as the SGX arc, so cutting the OID at a fixed length would read it as FMSPC.
    assertRefused(editTop(e -> replace(e, SGX + ".4", pair("1.2.840.113741.1.99.1.4", octets(6)))));
    // A TCB component must sit under the TCB arc, not merely end in ".5".
    assertRefused(editTcb(t -> replace(t, TCB + ".5", pair("1.3.6.1.4.1.99999.2.5", svn(5)))));
  }

  @Test
  void eachTcbComponentMustAppearExactlyOnce() {
    // Sixteen components, but component 1 twice and component 16 never.
    assertRefused(editTcb(t -> replace(t, TCB + ".16", pair(TCB + ".1", svn(1)))));
    assertRefused(editTcb(t -> with(t, pair(TCB + ".17", svn(12)))));
  }

  @Test
  void aTopLevelEntryMayAppearOnlyOnce() {
    assertRefused(editTop(e -> with(e, pair(SGX + ".4", octets(6)))));
  }

  @Test
  void aTcbComponentSvnIsOneByte() {
    assertRefused(editTcb(t -> replace(t, TCB + ".3", pair(TCB + ".3", svn(256)))));
    assertRefused(editTcb(t -> replace(t, TCB + ".17", pair(TCB + ".17", svn(65536)))));
    assertRefused(editTcb(t -> replace(t, TCB + ".3", pair(TCB + ".3", svn(-1)))));
  }

  @Test
  void fieldsHaveTheirProfileLengths() {
    assertRefused(editTop(e -> replace(e, SGX + ".1", pair(SGX + ".1", octets(15))))); // PPID
    assertRefused(editTop(e -> replace(e, SGX + ".3", pair(SGX + ".3", octets(3))))); // PCE-ID
    assertRefused(editTop(e -> replace(e, SGX + ".4", pair(SGX + ".4", octets(5))))); // FMSPC
    assertRefused(editTcb(t -> replace(t, TCB + ".18", pair(TCB + ".18", octets(15))))); // CPUSVN
  }

  @Test
  void cpuSvnAndPceSvnAreRequired() {
    assertRefused(editTcb(t -> without(t, TCB + ".18")));
    assertRefused(editTcb(t -> without(t, TCB + ".17")));
  }

  @Test
  void theTcbHoldsOnlyItsEighteenEntries() {
    assertRefused(editTcb(t -> with(t, pair(TCB + ".19", svn(0)))));
  }

  @Test
  void anEntryIsExactlyAnOidAndAValue() {
    ASN1Encodable three =
        new DERSequence(
            new ASN1Encodable[] {new ASN1ObjectIdentifier(SGX + ".4"), octets(6), octets(6)});
    assertRefused(editTop(e -> replace(e, SGX + ".4", three)));
  }

  @Test
  void valuesHaveTheirProfileTypes() {
    assertRefused(editTop(e -> replace(e, SGX + ".4", pair(SGX + ".4", new ASN1Integer(5)))));
    assertRefused(
        editTop(e -> replace(e, SGX + ".1", pair(SGX + ".1", new DERUTF8String("ppid")))));
    assertRefused(editTcb(t -> replace(t, TCB + ".2", pair(TCB + ".2", octets(1)))));
  }

  @Test
  void theExtensionIsDerNotBer() throws Exception {
    // The same values with an indefinite-length outer SEQUENCE: one value, one encoding.
    assertRefused(new BERSequence(top(tcb()).toArray(ASN1Encodable[]::new)).getEncoded());
  }

  @Test
  void anEmptyExtensionIsRefused() {
    assertRefused(new byte[0]);
  }

  @Test
  void bytesAfterTheExtensionAreRefused() throws Exception {
    byte[] der = encode(top(tcb()));
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 1);
    assertRefused(longer);
  }

  // --- a well-formed extension (Intel's layout, values of the test's choosing) and its edits ---

  private static List<ASN1Encodable> tcb() {
    List<ASN1Encodable> t = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      t.add(pair(TCB + "." + i, svn(i)));
    }
    t.add(pair(TCB + ".17", svn(11)));
    t.add(pair(TCB + ".18", octets(16)));
    return t;
  }

  private static List<ASN1Encodable> top(List<ASN1Encodable> tcb) {
    List<ASN1Encodable> e = new ArrayList<>();
    e.add(pair(SGX + ".1", octets(16)));
    e.add(pair(SGX + ".2", new DERSequence(tcb.toArray(ASN1Encodable[]::new))));
    e.add(pair(SGX + ".3", octets(2)));
    e.add(pair(SGX + ".4", new DEROctetString(new byte[] {0x50, (byte) 0x80, 0x6f, 0, 0, 0})));
    e.add(pair(SGX + ".5", new ASN1Enumerated(1)));
    return e;
  }

  private static byte[] editTop(UnaryOperator<List<ASN1Encodable>> edit) {
    return encode(edit.apply(top(tcb())));
  }

  private static byte[] editTcb(UnaryOperator<List<ASN1Encodable>> edit) {
    return encode(top(edit.apply(tcb())));
  }

  private static DERSequence pair(String oid, ASN1Encodable value) {
    return new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(oid), value});
  }

  private static ASN1Integer svn(long v) {
    return new ASN1Integer(v);
  }

  private static DEROctetString octets(int length) {
    return new DEROctetString(new byte[length]);
  }

  /** The list with the entry for {@code oid} replaced by {@code entry}. */
  private static List<ASN1Encodable> replace(
      List<ASN1Encodable> entries, String oid, ASN1Encodable entry) {
    List<ASN1Encodable> out = new ArrayList<>();
    for (ASN1Encodable e : entries) {
      out.add(oidOf(e).equals(oid) ? entry : e);
    }
    return out;
  }

  private static List<ASN1Encodable> with(List<ASN1Encodable> entries, ASN1Encodable entry) {
    List<ASN1Encodable> out = new ArrayList<>(entries);
    out.add(entry);
    return out;
  }

  private static List<ASN1Encodable> without(List<ASN1Encodable> entries, String oid) {
    return entries.stream().filter(e -> !oidOf(e).equals(oid)).toList();
  }

  private static String oidOf(ASN1Encodable pair) {
    return ((ASN1ObjectIdentifier) DERSequence.getInstance(pair).getObjectAt(0)).getId();
  }

  private static byte[] encode(List<ASN1Encodable> entries) {
    try {
      return new DERSequence(entries.toArray(ASN1Encodable[]::new)).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate pck(byte[] extension) {
    return TestPki.cert("CN=Test PCK", KEY).extension(SGX, extension).build();
  }

  private static void assertRefused(byte[] extension) {
    try {
      PckExtensions ext = PckExtensions.of(pck(extension));
      throw new AssertionError(
          "accepted: " + ext + " " + java.util.Arrays.toString(ext.sgxTcbComponents()));
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("tdx.pck.extension-malformed");
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A {@link PolicyTestReport} in the JUnit XML format CI systems read: one {@code testsuite} for the
 * policy, one {@code testcase} per fixture, a {@code failure} with the differences for each fixture
 * that failed.
 */
public final class JunitXml {
  private JunitXml() {}

  /** The report as a JUnit XML document (UTF-8). */
  public static String of(PolicyTestReport report) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Document doc = f.newDocumentBuilder().newDocument();
      Element suite = doc.createElement("testsuite");
      String policy = report.policy().name() + " v" + report.policy().version();
      suite.setAttribute("name", "policy " + policy);
      suite.setAttribute("tests", Integer.toString(report.results().size()));
      suite.setAttribute("failures", Long.toString(report.failed()));
      suite.setAttribute("errors", "0");
      suite.setAttribute("skipped", "0");
      doc.appendChild(suite);
      for (FixtureResult r : report.results()) {
        Element test = doc.createElement("testcase");
        test.setAttribute("classname", "policy." + report.policy().name());
        test.setAttribute("name", r.fixture().name());
        test.setAttribute("file", r.fixture().source());
        if (!r.passed()) {
          Element failure = doc.createElement("failure");
          failure.setAttribute(
              "message",
              "expected "
                  + r.fixture().expectedVerdict().yamlName()
                  + ", got "
                  + r.decision().verdict().yamlName());
          failure.setTextContent(String.join("\n", r.differences()));
          test.appendChild(failure);
        }
        suite.appendChild(test);
      }
      TransformerFactory tf = TransformerFactory.newInstance();
      tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      var t = tf.newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      t.setOutputProperty(OutputKeys.INDENT, "yes");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (ParserConfigurationException | TransformerException e) {
      throw new IllegalStateException("the JDK's XML support failed: " + e.getMessage(), e);
    }
  }
}

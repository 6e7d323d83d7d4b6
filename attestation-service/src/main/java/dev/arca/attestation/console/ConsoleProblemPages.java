// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A refusal under {@code /console} shown to a person as a page, when their browser asks for HTML:
 * the same status, title and message as the problem document a program gets ({@code
 * application/problem+json} otherwise).
 */
public class ConsoleProblemPages {

  @CheckedTemplate(basePath = "console")
  static class Templates {
    static native TemplateInstance problem(Problem problem);
  }

  @ServerResponseFilter
  public void asPage(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getEntity() instanceof Problem problem
        && request.getUriInfo().getPath().startsWith("/console")
        && request.getAcceptableMediaTypes().stream()
            .anyMatch(m -> m.isCompatible(MediaType.TEXT_HTML_TYPE) && !m.isWildcardType())) {
      response.setEntity(
          Templates.problem(problem).render(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }
  }
}

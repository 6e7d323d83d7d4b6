// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.registry.PolicyRegistry;
import dev.arca.attestation.registry.PolicyVersion;
import dev.arca.policy.Policy;
import dev.arca.policy.PolicyLoadException;
import dev.arca.policy.PolicyLoader;
import dev.arca.policy.impact.ImpactChange;
import dev.arca.policy.impact.PolicyImpact;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Policies for the security team: every version, a side-by-side diff of any two, the impact of a
 * draft or of a stored version on the decisions the log records (what {@code arca policy impact}
 * does), and activation for {@code policy-admin} after a confirmation naming what changes. An
 * auditor reads all of it and changes nothing.
 */
@Path("/console/policies")
@RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
@Produces(MediaType.TEXT_HTML)
public class PolicyConsole {
  /** How many of the newest appraisal entries an impact replays. */
  static final int REPLAYED_ENTRIES = 1000;

  /** A decision that would change: where it was recorded, and the draft's rules and reason. */
  public record Change(String ref, String rules, String reason) {}

  /** What a policy would change: decisions turning to deny, and turning to permit. */
  public record Impact(
      String policy, int replayed, int notReplayable, List<Change> toDeny, List<Change> toPermit) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance list(List<PolicyVersion> versions, String activated);

    static native TemplateInstance diff(
        String left, String right, List<SideBySideDiff.Row> rows, long changed);

    static native TemplateInstance impact(Impact impact, List<String> problems);

    static native TemplateInstance confirm(
        PolicyVersion target, String replaces, long changedLines, Impact impact);
  }

  @Inject PolicyRegistry registry;
  @Inject RecordedDecisions recorded;
  @Inject SecurityIdentity identity;
  @Inject ConsoleSession session;
  @Inject Clock clock;

  /** Every stored version, newest first per policy, with the forms to compare and try drafts. */
  @GET
  @Operation(hidden = true)
  public TemplateInstance list(@QueryParam("activated") String activated) {
    List<PolicyVersion> versions = registry.list();
    // Said only when true: the link after an activation cannot be made to claim another.
    boolean isActive =
        versions.stream()
            .anyMatch(v -> v.active() && (v.name() + "@" + v.version()).equals(activated));
    return Templates.list(versions, isActive ? activated : null);
  }

  /** Two stored versions side by side ({@code name@version} each). */
  @GET
  @Path("diff")
  @Operation(hidden = true)
  public TemplateInstance diff(@QueryParam("left") String left, @QueryParam("right") String right) {
    List<SideBySideDiff.Row> rows = SideBySideDiff.of(document(left), document(right));
    long changed = rows.stream().filter(r -> !r.kind().equals("same")).count();
    return Templates.diff(left, right, rows, changed);
  }

  /** The impact of a draft pasted into the form; nothing is stored. */
  @POST
  @Path("impact")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public TemplateInstance impact(
      @FormParam(ConsoleSession.FORM_TOKEN) String token, @FormParam("draft") String draft) {
    session.requireFormToken(token);
    Policy policy;
    try {
      policy = PolicyLoader.parse(draft == null ? "" : draft, "draft");
    } catch (PolicyLoadException e) {
      List<String> problems = new ArrayList<>();
      e.problems().forEach(p -> problems.add(p.toString()));
      return Templates.impact(null, problems);
    }
    return Templates.impact(impactOf(policy), List.of());
  }

  /** What activating {@code name@version} changes, and the button that does it. */
  @GET
  @Path("{name}/{version: [0-9]+}/activate")
  @RolesAllowed(Roles.POLICY_ADMIN)
  @Operation(hidden = true)
  public TemplateInstance confirm(
      @PathParam("name") String name, @PathParam("version") long version) {
    PolicyVersion target = find(name, version);
    Optional<PolicyVersion> active =
        registry.list().stream().filter(PolicyVersion::active).findFirst();
    String at = name + "@" + version;
    long changed =
        active.isEmpty()
            ? document(at).lines().count()
            : SideBySideDiff.of(
                    document(active.get().name() + "@" + active.get().version()), document(at))
                .stream()
                .filter(r -> !r.kind().equals("same"))
                .count();
    return Templates.confirm(
        target,
        active.map(p -> p.name() + " version " + p.version()).orElse("no active policy"),
        changed,
        impactOf(parse(at)));
  }

  /** Activates {@code name@version}, then shows the list again. */
  @POST
  @Path("{name}/{version: [0-9]+}/activate")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RolesAllowed(Roles.POLICY_ADMIN)
  @Operation(hidden = true)
  public Response activate(
      @PathParam("name") String name,
      @PathParam("version") long version,
      @FormParam(ConsoleSession.FORM_TOKEN) String token) {
    session.requireFormToken(token);
    registry.activate(name, version, Caller.of(identity), clock.instant());
    return Response.seeOther(URI.create("/console/policies?activated=" + name + "%40" + version))
        .build();
  }

  private Impact impactOf(Policy policy) {
    RecordedDecisions.Loaded loaded = recorded.newest(REPLAYED_ENTRIES);
    List<Change> toDeny = new ArrayList<>();
    List<Change> toPermit = new ArrayList<>();
    for (ImpactChange c : PolicyImpact.changes(policy, loaded.decisions())) {
      Change change =
          new Change(
              c.recorded().ref(),
              c.draftRules().isEmpty()
                  ? "no rule (default deny)"
                  : String.join(", ", c.draftRules()),
              c.draftReason());
      (c.after() ? toPermit : toDeny).add(change);
    }
    return new Impact(
        policy.name() + " version " + policy.version(),
        loaded.decisions().size(),
        loaded.notReplayable(),
        toDeny,
        toPermit);
  }

  private PolicyVersion find(String name, long version) {
    return registry.versions(name).stream()
        .filter(v -> v.version() == version)
        .findFirst()
        .orElseThrow(
            () -> new ProblemException(ProblemType.NOT_FOUND, "no policy " + name + "@" + version));
  }

  private Policy parse(String at) {
    try {
      return PolicyLoader.parse(document(at), at);
    } catch (PolicyLoadException e) {
      throw new IllegalStateException("stored policy " + at + " no longer compiles", e);
    }
  }

  /** The stored document of {@code name@version}. */
  private String document(String at) {
    int sep = at == null ? -1 : at.lastIndexOf('@');
    long version;
    try {
      version = Long.parseLong(at.substring(sep + 1));
    } catch (RuntimeException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "name a policy version as name@version, like service@3");
    }
    String name = at.substring(0, Math.max(sep, 0));
    return registry
        .document(name, version)
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no policy " + at));
  }
}

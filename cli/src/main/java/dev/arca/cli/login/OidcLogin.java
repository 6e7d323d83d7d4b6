// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Logs in against any OpenID provider (Keycloak, Entra ID, Okta, ...), found by OpenID Connect
 * Discovery: the OAuth 2.0 client-credentials grant for automation (RFC 6749 section 4.4), the
 * device authorization grant for people at a terminal (RFC 8628, with PKCE, RFC 7636), and the
 * refresh-token grant that renews a person's token without asking again (RFC 6749 section 6). The
 * protocol is the Nimbus OAuth 2.0 SDK's; the token's payload is read only to show who and which
 * roles — the service verifies the signature.
 */
public final class OidcLogin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TIMEOUT_MS = 30_000;

  /** What the person must do to approve a device login (RFC 8628 section 3.2). */
  public record DevicePrompt(
      String verificationUri, String verificationUriComplete, String userCode) {}

  private final String issuer;
  private final Clock clock;
  private OIDCProviderMetadata provider;

  /**
   * @param issuer the provider's issuer URL, e.g. {@code http://127.0.0.1:8180/realms/arca}
   */
  public OidcLogin(String issuer, Clock clock) {
    this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.clock = clock;
  }

  /**
   * The provider's metadata from {@code <issuer>/.well-known/openid-configuration}, whose {@code
   * issuer} must be exactly this one (OpenID Connect Discovery section 4.3), fetched once.
   *
   * @throws LoginException {@code login.unreachable}, or {@code login.refused} for a document that
   *     is missing, malformed or names another issuer
   */
  OIDCProviderMetadata provider() throws LoginException {
    if (provider == null) {
      try {
        provider = OIDCProviderMetadata.resolve(new Issuer(issuer), TIMEOUT_MS, TIMEOUT_MS);
      } catch (IOException e) {
        throw new LoginException(
            "login.unreachable",
            "no OpenID provider answers at " + issuer + "; check --issuer (" + e.getMessage() + ")",
            e);
      } catch (GeneralException e) {
        throw new LoginException(
            "login.refused",
            "the OpenID discovery document of "
                + issuer
                + " is not usable: "
                + e.getMessage()
                + "; --issuer must be the provider's issuer URL exactly",
            e);
      }
    }
    return provider;
  }

  /**
   * Client-credentials grant for a confidential client's service account.
   *
   * @throws LoginException {@code login.refused} (the provider's error, never the secret), {@code
   *     login.unreachable}
   */
  public StoredToken clientCredentials(String clientId, String clientSecret) throws LoginException {
    TokenRequest request =
        new TokenRequest.Builder(
                provider().getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret)),
                new ClientCredentialsGrant())
            .scope(new Scope("openid"))
            .build();
    TokenResponse response = tokenResponse(request.toHTTPRequest());
    if (!response.indicatesSuccess()) {
      throw refused("client " + clientId, response.toErrorResponse().getErrorObject());
    }
    return token(clientId, response.toSuccessResponse().getTokens());
  }

  /**
   * Device authorization grant: asks for a user code, tells {@code prompt} what to show, then polls
   * the token endpoint at the interval the provider asks until the person approves, denies, or the
   * code expires.
   *
   * @throws LoginException {@code login.denied}, {@code login.timeout}, {@code login.refused},
   *     {@code login.unreachable}
   */
  public StoredToken deviceAuthorization(String clientId, Consumer<DevicePrompt> prompt)
      throws LoginException, InterruptedException {
    URI endpoint = provider().getDeviceAuthorizationEndpointURI();
    if (endpoint == null) {
      throw new LoginException(
          "login.refused",
          issuer
              + " offers no device authorization (RFC 8628); log in with --client-id and"
              + " --client-secret-file instead");
    }
    // PKCE (RFC 7636) binds the token request to this process; the realm's CLI client requires it.
    CodeVerifier verifier = new CodeVerifier();
    DeviceAuthorizationRequest start =
        new DeviceAuthorizationRequest.Builder(new ClientID(clientId))
            .endpointURI(endpoint)
            .scope(new Scope("openid"))
            .customParameter(
                "code_challenge",
                CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue())
            .customParameter("code_challenge_method", CodeChallengeMethod.S256.getValue())
            .build();
    DeviceAuthorizationSuccessResponse auth = deviceAuthorization(clientId, start.toHTTPRequest());
    URI complete = auth.getVerificationURIComplete();
    prompt.accept(
        new DevicePrompt(
            auth.getVerificationURI().toString(),
            (complete != null ? complete : auth.getVerificationURI()).toString(),
            auth.getUserCode().getValue()));
    long interval = Math.max(1, auth.getInterval());
    Instant deadline = clock.instant().plusSeconds(auth.getLifetime());
    TokenRequest poll =
        new TokenRequest.Builder(
                provider().getTokenEndpointURI(),
                new ClientID(clientId),
                new DeviceCodeGrant(auth.getDeviceCode()))
            .customParameter("code_verifier", verifier.getValue())
            .build();
    while (clock.instant().isBefore(deadline)) {
      Thread.sleep(interval * 1000);
      TokenResponse response = tokenResponse(poll.toHTTPRequest());
      if (response.indicatesSuccess()) {
        return token(clientId, response.toSuccessResponse().getTokens());
      }
      ErrorObject error = response.toErrorResponse().getErrorObject();
      switch (error.getCode() == null ? "" : error.getCode()) {
        case "authorization_pending" -> {
          continue;
        }
        case "slow_down" -> {
          interval += 5;
          continue;
        }
        case "access_denied" ->
            throw new LoginException("login.denied", "the login was denied in the browser");
        case "expired_token" ->
            throw new LoginException("login.timeout", "the code expired; run arca login again");
        default -> throw refused("the device login", error);
      }
    }
    throw new LoginException("login.timeout", "the code expired; run arca login again");
  }

  /**
   * Renews {@code token} with its refresh token, keeping the person logged in without asking again.
   *
   * @throws LoginException {@code login.expired} when the token has no refresh grant or the
   *     provider refuses it (the session ended: log in again), {@code login.unreachable}
   */
  public StoredToken refresh(StoredToken token) throws LoginException {
    StoredToken.Refresh refresh =
        token
            .refresh()
            .orElseThrow(
                () ->
                    new LoginException(
                        "login.expired", "the token expired and cannot be renewed; log in again"));
    AuthorizationGrant grant = new RefreshTokenGrant(new RefreshToken(refresh.refreshToken()));
    TokenRequest request =
        new TokenRequest.Builder(
                provider().getTokenEndpointURI(), new ClientID(refresh.clientId()), grant)
            .build();
    TokenResponse response = tokenResponse(request.toHTTPRequest());
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      throw new LoginException(
          "login.expired",
          "the login session ended ("
              + error.getCode()
              + (error.getDescription() != null ? ": " + error.getDescription() : "")
              + "); run arca login again");
    }
    StoredToken renewed = token(refresh.clientId(), response.toSuccessResponse().getTokens());
    // A provider may keep the refresh token (no rotation): keep ours then.
    return renewed.refresh().isPresent()
        ? renewed
        : new StoredToken(
            renewed.issuer(),
            renewed.accessToken(),
            renewed.expiresAt(),
            renewed.subject(),
            renewed.roles(),
            refresh);
  }

  private DeviceAuthorizationSuccessResponse deviceAuthorization(
      String clientId, HTTPRequest request) throws LoginException {
    try {
      DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(send(request));
      if (!response.indicatesSuccess()) {
        throw refused("client " + clientId, response.toErrorResponse().getErrorObject());
      }
      return response.toSuccessResponse();
    } catch (ParseException e) {
      throw new LoginException(
          "login.refused", "the provider's device authorization answer does not parse", e);
    }
  }

  private TokenResponse tokenResponse(HTTPRequest request) throws LoginException {
    try {
      return TokenResponse.parse(send(request));
    } catch (ParseException e) {
      throw new LoginException("login.refused", "the provider's token answer does not parse", e);
    }
  }

  private HTTPResponse send(HTTPRequest request) throws LoginException {
    request.setConnectTimeout(TIMEOUT_MS);
    request.setReadTimeout(TIMEOUT_MS);
    try {
      return request.send();
    } catch (IOException e) {
      throw new LoginException(
          "login.unreachable",
          "no OpenID provider answers at " + issuer + "; check --issuer (" + e.getMessage() + ")",
          e);
    }
  }

  /** The stored form of {@code tokens}: who and which roles, read from the access token. */
  private StoredToken token(String clientId, Tokens tokens) throws LoginException {
    String access = tokens.getAccessToken().getValue();
    String[] parts = access.split("\\.", -1);
    JsonNode claims;
    try {
      claims =
          parts.length == 3
              ? JSON.readTree(Base64.getUrlDecoder().decode(parts[1]))
              : JSON.createObjectNode();
    } catch (IOException | IllegalArgumentException e) {
      throw new LoginException("login.refused", "the provider answered a token that is not a JWT");
    }
    String who = claims.path("preferred_username").asText(claims.path("azp").asText("unknown"));
    long lifetime = tokens.getAccessToken().getLifetime();
    Instant expires = clock.instant().plusSeconds(lifetime > 0 ? lifetime : 300);
    RefreshToken refresh = tokens.getRefreshToken();
    return new StoredToken(
        issuer,
        access,
        expires,
        who,
        roles(claims),
        refresh == null ? null : new StoredToken.Refresh(clientId, refresh.getValue()));
  }

  /**
   * Roles as Keycloak puts them ({@code realm_access.roles}) or as other providers commonly do (a
   * top-level {@code roles} claim, e.g. Entra ID app roles); the provider's default roles left out.
   */
  private static List<String> roles(JsonNode claims) {
    List<String> roles = new ArrayList<>();
    claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
    claims.path("roles").forEach(r -> roles.add(r.asText()));
    roles.removeIf(
        r ->
            r.startsWith("default-roles-")
                || r.equals("offline_access")
                || r.equals("uma_authorization"));
    return roles.stream().distinct().toList();
  }

  private static LoginException refused(String who, ErrorObject error) {
    return new LoginException(
        "login.refused",
        "the provider refused "
            + who
            + ": "
            + (error.getCode() != null ? error.getCode() : "no token")
            + (error.getDescription() != null ? " (" + error.getDescription() + ")" : "")
            + "; check the client id, secret and issuer");
  }
}

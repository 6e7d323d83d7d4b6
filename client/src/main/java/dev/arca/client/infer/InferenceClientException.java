package dev.arca.client.infer;

/**
 * The client refused to send, or could not send, an inference request. {@link #id()} is stable:
 * {@code infer.unreachable}, {@code infer.token-invalid} (EAR signature, issuer or expiry), {@code
 * infer.token-contraindicated}, {@code infer.key-mismatch} (the OHTTP key is not the attested key),
 * {@code infer.bad-answer}.
 */
public final class InferenceClientException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String id;

  public InferenceClientException(String id, String message) {
    super(message);
    this.id = id;
  }

  public InferenceClientException(String id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  /** The stable failure id. */
  public String id() {
    return id;
  }
}

package dev.arca.client.infer;

/**
 * The runtime refused an inference request inside the encrypted channel (e.g. {@code
 * lease.data-class-not-granted}, {@code infer.tensor-mismatch}); only the application sees why.
 */
public final class InferenceRefusedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String id;

  public InferenceRefusedException(InferenceMessages.Refusal refusal) {
    super(refusal.message());
    this.id = refusal.id();
  }

  /** The runtime's stable refusal id. */
  public String id() {
    return id;
  }
}

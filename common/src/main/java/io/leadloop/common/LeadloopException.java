package io.leadloop.common;

/**
 * A failure the user can act on: its message is printed as the one-line reason of a failed run.
 * Messages follow the form "Cannot X: reason".
 */
public class LeadloopException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeadloopException(String message) {
    super(message);
  }

  public LeadloopException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first {@link LeadloopException} in a cause chain (Spark wraps executor failures). */
  public static LeadloopException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LeadloopException le) {
        return le;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    // Spark may re-create executor exceptions as strings: look for our prefix in messages.
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null) {
        int i = m.indexOf("Cannot ");
        if (i >= 0 && m.contains(LeadloopException.class.getSimpleName())) {
          String rest = m.substring(i);
          int nl = rest.indexOf('\n');
          return new LeadloopException(nl > 0 ? rest.substring(0, nl) : rest, t);
        }
      }
    }
    return null;
  }
}

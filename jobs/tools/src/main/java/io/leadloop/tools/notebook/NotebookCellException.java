package io.leadloop.tools.notebook;

import io.leadloop.common.LeadloopException;
import java.nio.file.Path;

/**
 * A notebook cell failed. The notebook was written back with the error in that cell's outputs
 * before this was thrown.
 */
public final class NotebookCellException extends LeadloopException {
  private static final long serialVersionUID = 1L;

  private final transient Path notebook;
  private final int cellIndex;

  NotebookCellException(
      Path notebook, int cellIndex, int executionCount, String reason, Throwable cause) {
    super(
        "Cannot run notebook "
            + notebook
            + ": cell "
            + cellIndex
            + " (In ["
            + executionCount
            + "]) failed: "
            + reason,
        cause);
    this.notebook = notebook;
    this.cellIndex = cellIndex;
  }

  /** The notebook file. */
  public Path notebook() {
    return notebook;
  }

  /** The failing cell's 0-based index in the notebook's {@code cells}. */
  public int cellIndex() {
    return cellIndex;
  }
}

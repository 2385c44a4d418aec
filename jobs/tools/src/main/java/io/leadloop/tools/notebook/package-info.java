/**
 * Runs the analyst notebooks of {@code notebooks/} headlessly, the way papermill runs Jupyter
 * notebooks: every Delta table of a warehouse becomes a temporary view named by its folder (and
 * every mart of its {@code marts} table one named by the mart), each code cell's Spark SQL is
 * executed in order, and the notebook is written back in place with its outputs (an HTML and a
 * plain-text table, and an SVG chart where the cell's metadata asks for one). Entry point: {@link
 * io.leadloop.tools.notebook.NotebookRunner}.
 */
package io.leadloop.tools.notebook;

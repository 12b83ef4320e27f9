"""Reports of a comparison: JSON (versioned schema), Markdown, self-contained HTML, rich terminal tables."""

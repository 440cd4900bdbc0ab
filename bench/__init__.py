"""Benchmark: how long the course takes to build and to preview, beside the same pages built by stock MkDocs.

``python -m bench`` generates synthetic courses, times a cold ``course build`` against
``mkdocs build`` of the exported Markdown, the builder's own stages, the edit-to-reload
latency of ``course serve`` against ``mkdocs serve``, peak memory and output size, and writes
a Markdown table to ``bench/results/latest.md``.
"""

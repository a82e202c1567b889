//! Tests of the structure analysis on made-up French and English articles.

//! export (todo)

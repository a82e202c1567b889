//! Boilerplate line classification from cue tables (navigation, cookie
//! notices, related links, promos, comment forms, photo credits…).

//! R-tree wrappers shared by the stages. rstar's radius queries take *squared* radii: the
//! conversion lives here once, in `within_distance`, so no other file can get it wrong.

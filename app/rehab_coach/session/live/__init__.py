"""The live session: one frame through pose and coach (`step`), the lifecycle around it (`lifecycle`),
its events, watchdogs and presence checks, and how it is recorded and summed up."""

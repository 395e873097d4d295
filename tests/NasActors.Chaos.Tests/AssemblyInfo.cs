// One chaos scenario at a time: each starts its own nas processes (or PostgreSQL) and kills them at
// chosen moments; running them side by side on a small machine would only blur those moments.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

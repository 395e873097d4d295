namespace NasActors.Cli;

/// <summary>A mistake on the command line or in what it names: one <c>error:</c> line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

namespace NasActors.Node.Configuration;

/// <summary>
/// A configuration value is missing or wrong. The message is one line that names the key, where the
/// value came from (file, environment variable or command line) and what was expected, ready to print.
/// </summary>
public sealed class NodeConfigurationException(string message) : Exception(message);

namespace NasActors.Node.Storage;

/// <summary>
/// The store cannot be used as it is (a damaged journal file, a network filesystem): the message
/// names the file, what is wrong and what to do. The CLI prints it as one line, exit code 2.
/// </summary>
public sealed class StoreException(string message) : Exception(message);

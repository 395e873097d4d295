namespace NasActors.Engine.Searches;

/// <summary>An operator's command the search's state does not allow; the message says why. Nothing was decided.</summary>
public sealed class SearchCommandRefused(string message) : Exception(message);

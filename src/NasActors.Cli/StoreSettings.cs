using System.ComponentModel;
using Spectre.Console.Cli;

namespace NasActors.Cli;

/// <summary>Options every command on a store shares.</summary>
public class StoreSettings : CommandSettings
{
    public const string DefaultStore = ".nas";

    [CommandOption("--store <DIR>")]
    [Description("the store folder: journal (nas.db), logs/, searches/<id>/ results")]
    [DefaultValue(DefaultStore)]
    public string Store { get; set; } = DefaultStore;

    public string JournalFile => Path.Combine(Path.GetFullPath(Store), "nas.db");

    public string SearchDirectory(NasActors.Engine.Searches.SearchId id) => Path.Combine(Path.GetFullPath(Store), "searches", id.Value);
}

/// <summary>Settings of a command about one stored search.</summary>
public class SearchSettings : StoreSettings
{
    [CommandArgument(0, "<search-id>")]
    [Description("the search's id, as 'nas run' printed it (name-hash)")]
    public string SearchId { get; set; } = "";

    /// <summary>The id, refused when it could reach outside the store (slashes, '..') or is not an id at all.</summary>
    public NasActors.Engine.Searches.SearchId Id =>
        SearchId.Length > 0 && SearchId.Length <= 200 && SearchId[0] != '.' && SearchId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? new NasActors.Engine.Searches.SearchId(SearchId)
            : throw new UsageException($"search id '{SearchId}' is not an id: ids are letters, digits, '-', '_' and '.' (e.g. tiny-1a2b3c4d)");
}

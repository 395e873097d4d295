using System.ComponentModel;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands.Admin;

/// <summary>
/// Options of every <c>nas admin</c> command. The endpoint is usually given positionally (<c>nas admin host:port cluster show</c>);
/// <see cref="AdminArguments"/> moves it here before parsing.
/// </summary>
public class AdminSettings : CommandSettings
{
    [CommandOption("--endpoint <HOST:PORT>")]
    [Description("the node's admin endpoint (default 127.0.0.1:9110); usually given right after `admin`")]
    public string Endpoint { get; set; } = AdminArguments.DefaultEndpoint;

    [CommandOption("--token-file <FILE>")]
    [Description("file holding the admin endpoint's bearer token (or set NAS__Admin__Token)")]
    public string? TokenFile { get; set; }

    [CommandOption("--json")]
    [Description("print the answer as JSON")]
    public bool Json { get; set; }
}

public class RoleSettings : AdminSettings
{
    [CommandOption("-r|--role <ROLE>")]
    [Description("only members with this role (coordinator, trainer)")]
    public string? Role { get; set; }
}

public class AddressSettings : AdminSettings
{
    [CommandArgument(0, "<ADDRESS>")]
    [Description("a member's address, e.g. akka.tcp://nas@10.0.0.5:4053")]
    public string Address { get; set; } = "";
}

public class OptionalAddressSettings : AdminSettings
{
    [CommandArgument(0, "[ADDRESS]")]
    [Description("a member's address (default: the node answering)")]
    public string? Address { get; set; }
}

public class RegionStatsSettings : AdminSettings
{
    [CommandOption("-r|--region <TYPE>")]
    [Description("the sharded type (see cluster-sharding regions), e.g. search")]
    public string? Region { get; set; }
}

public class HierarchySettings : AdminSettings
{
    [CommandOption("-d|--depth <N>")]
    [Description("levels below the start (default 4)")]
    public int? Depth { get; set; }

    [CommandOption("-s|--start <PATH>")]
    [Description("actor path to start at (default /user)")]
    public string? Start { get; set; }
}

public class LogTailSettings : AdminSettings
{
    [CommandOption("-n|--lines <N>")]
    [Description("how many recent lines (default 50; the node keeps 1000)")]
    public int? Lines { get; set; }
}

public class IdSettings : AdminSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; set; } = "";
}

public class IdNumberSettings : IdSettings
{
    [CommandArgument(1, "<N>")]
    public int Number { get; set; }
}

public class IdArchitectureSettings : IdSettings
{
    [CommandArgument(1, "<ARCHITECTURE>")]
    [Description("a canonical architecture, as results.csv and `search show` print them (quote it: it holds '|')")]
    public string Architecture { get; set; } = "";
}

public class QuarantineSettings : IdSettings
{
    [CommandOption("--release")]
    [Description("end the quarantine: the trainer takes work again")]
    public bool Release { get; set; }
}

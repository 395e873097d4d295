using System.Globalization;
using System.Text;

namespace NasActors.Node.Bootstrap;

/// <summary>
/// Expands Slurm's compressed host lists (SLURM_JOB_NODELIST) the way `scontrol show hostnames` does:
/// "node[01-03,07],gpu-a[1-2]" → node01 node02 node03 node07 gpu-a1 gpu-a2. Zero padding is kept (the
/// width of a range's first number), several bracket groups in one name multiply ("r[1-2]n[1-2]").
/// </summary>
public static class SlurmHostList
{
    public static IReadOnlyList<string> Expand(string hostList)
    {
        var hosts = new List<string>();
        foreach (var item in SplitTopLevel(hostList.Trim()))
            hosts.AddRange(ExpandItem(item, hostList));
        return hosts;
    }

    /// <summary>Splits on the commas outside brackets.</summary>
    private static IEnumerable<string> SplitTopLevel(string list)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            depth += list[i] switch { '[' => 1, ']' => -1, _ => 0 };
            if (depth is < 0 or > 1) throw Malformed(list, "unbalanced brackets");
            if (list[i] != ',' || depth != 0) continue;
            if (i > start) yield return list[start..i];
            start = i + 1;
        }
        if (depth != 0) throw Malformed(list, "unbalanced brackets");
        if (start < list.Length) yield return list[start..];
    }

    private static IEnumerable<string> ExpandItem(string item, string whole)
    {
        var open = item.IndexOf('[');
        if (open < 0) return [item];
        var close = item.IndexOf(']', open);
        var prefix = item[..open];
        var tails = ExpandItem(item[(close + 1)..], whole).ToList();
        return Numbers(item[(open + 1)..close], whole).SelectMany(number => tails.Select(tail => prefix + number + tail));
    }

    private static IEnumerable<string> Numbers(string ranges, string whole)
    {
        foreach (var range in ranges.Split(','))
        {
            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || bounds.Any(b => b.Length == 0 || !b.All(char.IsAsciiDigit)))
                throw Malformed(whole, $"'{range}' is not a number or a range like 01-03");
            var first = long.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = long.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (last < first) throw Malformed(whole, $"range '{range}' runs backwards");
            var width = bounds[0].Length;
            for (var n = first; n <= last; n++) yield return n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        }
    }

    private static FormatException Malformed(string list, string problem) => new($"SLURM_JOB_NODELIST '{list}': {problem}");
}

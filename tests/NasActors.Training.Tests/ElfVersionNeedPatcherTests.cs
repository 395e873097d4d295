using NasActors.Build;
using TorchSharp;
using Xunit;

namespace NasActors.Training.Tests;

public sealed class ElfVersionNeedPatcherTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string _dir = Directory.CreateTempSubdirectory("elf-patch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The pristine library in the NuGet cache (the build output copy may already be patched).
    private static string CachedLibrary()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Version v = typeof(torch).Assembly.GetName().Version!;
        string path = Path.Combine(root, "torchsharp", $"{v.Major}.{v.Minor}.{v.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp native library not found at {path}");
        return path;
    }

    private string CopyOfCachedLibrary()
    {
        string copy = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(CachedLibrary(), copy);
        return copy;
    }

    [Fact]
    public void Patch_sets_only_the_weak_flag_of_the_requested_version_need()
    {
        string lib = CopyOfCachedLibrary();
        byte[] before = File.ReadAllBytes(lib);
        long flags = ElfVersionNeedPatcher.FindVernauxFlagsOffset(lib, Version);
        Assert.True(flags > 0);
        Assert.Equal(0, before[flags] | before[flags + 1] << 8); // readelf -V: "Flags: none"

        Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.MarkVersionNeedWeak(lib, Version));

        byte[] after = File.ReadAllBytes(lib);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.All(changed, i => Assert.InRange(i, flags, flags + 1));
        Assert.Equal(0x2, after[flags] | after[flags + 1] << 8); // VER_FLG_WEAK
    }

    [Fact]
    public void Second_patch_is_a_no_op()
    {
        string lib = CopyOfCachedLibrary();
        Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.MarkVersionNeedWeak(lib, Version));
        byte[] once = File.ReadAllBytes(lib);

        Assert.Equal(ElfPatchResult.AlreadyPatched, ElfVersionNeedPatcher.MarkVersionNeedWeak(lib, Version));
        Assert.Equal(once, File.ReadAllBytes(lib));
    }

    [Fact]
    public void Unknown_version_is_reported_as_not_found_and_leaves_the_file_alone()
    {
        string lib = CopyOfCachedLibrary();
        byte[] before = File.ReadAllBytes(lib);
        Assert.Equal(ElfPatchResult.NotFound, ElfVersionNeedPatcher.MarkVersionNeedWeak(lib, "GLIBCXX_9.9.99"));
        Assert.Equal(before, File.ReadAllBytes(lib));
    }

    [Fact]
    public void Patching_through_a_symlink_leaves_the_link_target_alone()
    {
        // Stands in for an output file linked into the NuGet cache: the cache must keep the pristine bytes.
        string cache = CopyOfCachedLibrary();
        byte[] pristine = File.ReadAllBytes(cache);
        string output = Path.Combine(_dir, "output.so");
        File.CreateSymbolicLink(output, cache);

        Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.MarkVersionNeedWeak(output, Version));

        Assert.Equal(pristine, File.ReadAllBytes(cache));
        Assert.Null(new FileInfo(output).LinkTarget);
        Assert.Equal(ElfPatchResult.AlreadyPatched, ElfVersionNeedPatcher.MarkVersionNeedWeak(output, Version));
    }

    [Fact]
    public void Host_check_finds_the_base_version_and_not_a_made_up_one()
    {
        if (!OperatingSystem.IsLinux() || ElfVersionNeedPatcher.FindHostLibStdCxx() == null)
        {
            Assert.Null(ElfVersionNeedPatcher.HostLibStdCxxProvides("GLIBCXX_3.4"));
            return;
        }
        Assert.True(ElfVersionNeedPatcher.HostLibStdCxxProvides("GLIBCXX_3.4"));
        Assert.False(ElfVersionNeedPatcher.HostLibStdCxxProvides("GLIBCXX_99.0"));
    }

    [Fact]
    public void Non_elf_file_gives_a_clear_error()
    {
        string text = Path.Combine(_dir, "not-a-library.so");
        File.WriteAllText(text, "this is not an ELF file, just some text long enough to hold an ELF header ............");

        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkVersionNeedWeak(text, Version));
        Assert.Contains("not an ELF file", e.Message);
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void Truncated_elf_file_gives_a_clear_error()
    {
        string lib = CopyOfCachedLibrary();
        byte[] head = File.ReadAllBytes(lib).AsSpan(0, 4096).ToArray(); // header only, section table cut off
        File.WriteAllBytes(lib, head);

        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkVersionNeedWeak(lib, Version));
        Assert.Contains("Truncated or corrupt ELF", e.Message);
    }

    // Proves the build step patched the output copy on hosts whose libstdc++ lacks GLIBCXX_3.4.32:
    // otherwise loading libLibTorchSharp.so aborts the whole test host.
    [Fact]
    public void TorchSharp_runs_in_the_test_host()
    {
        Assert.Equal(4f, torch.ones(2, 2).sum().item<float>());
    }
}

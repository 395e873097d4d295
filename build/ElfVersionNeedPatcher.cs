// Marks one GNU version need (a Vernaux entry in .gnu.version_r) of an ELF64 shared library weak.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13), but only for
// _ZSt21ios_base_library_initv, which no relocation binds. Debian 12's libstdc++ stops at
// GLIBCXX_3.4.30, so the dynamic loader refuses the library and the process aborts at the first torch
// call. A weak version need only makes the loader warn when the version is missing, so setting
// VER_FLG_WEAK on that one entry is enough for the library to load.
//
// This file is compiled twice:
//  * by RoslynCodeTaskFactory (build/TorchSharpNativeFix.targets), against netstandard reference
//    assemblies, so it sticks to netstandard2.0 APIs and has no dependencies, and
//  * by tests/NasActors.Training.Tests, which defines NASACTORS_ELF_PATCHER_ONLY to leave out the
//    MSBuild task at the bottom (RoslynCodeTaskFactory takes exactly one source file, so the task lives here).
#nullable enable
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NasActors.Build
{
    public enum ElfPatchResult
    {
        Patched,
        AlreadyPatched,
        NotFound,
    }

    public static class ElfVersionNeedPatcher
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        // Where Debian/Ubuntu, Fedora/RHEL and others put the system libstdc++.
        public static readonly string[] LibStdCxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
            "/lib/libstdc++.so.6",
        };

        /// <summary>Sets VER_FLG_WEAK on the Vernaux named <paramref name="versionName"/>.</summary>
        public static ElfPatchResult MarkVersionNeedWeak(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            long at = FindVernauxFlagsOffset(image, path, versionName);
            if (at < 0)
                return ElfPatchResult.NotFound;

            ushort flags = ReadU16(image, at);
            if ((flags & VerFlgWeak) != 0)
                return ElfPatchResult.AlreadyPatched;

            // Patch a copy and rename it over the original instead of writing in place: if the output file is
            // a hard link or symlink into the NuGet cache, the cache keeps the pristine file. File.Copy keeps
            // the file mode.
            string temp = path + ".weak.tmp";
            File.Copy(path, temp, overwrite: true);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
            {
                ushort patched = (ushort)(flags | VerFlgWeak);
                stream.Position = at;
                stream.WriteByte((byte)patched);
                stream.WriteByte((byte)(patched >> 8));
            }
            File.Replace(temp, path, null);
            return ElfPatchResult.Patched;
        }

        /// <summary>File offset of the vna_flags field of the named version need, or -1 when there is none.</summary>
        public static long FindVernauxFlagsOffset(string path, string versionName) =>
            FindVernauxFlagsOffset(File.ReadAllBytes(path), path, versionName);

        private static long FindVernauxFlagsOffset(byte[] image, string path, string versionName)
        {
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                throw new InvalidDataException($"'{path}' is not an ELF file (no \\x7fELF magic).");
            if (image[4] != 2 || image[5] != 1)
                throw new InvalidDataException($"'{path}' is ELF but not ELF64 little-endian (class {image[4]}, data {image[5]}).");

            // ELF64 header: e_shoff at 0x28, e_shentsize at 0x3a, e_shnum at 0x3c.
            long shoff = (long)ReadU64(image, 0x28);
            int shentsize = ReadU16(image, 0x3a);
            int shnum = ReadU16(image, 0x3c);

            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (ReadU32(image, sh + 4) != ShtGnuVerneed)
                    continue;

                long secOffset = (long)ReadU64(image, sh + 0x18);
                uint entryCount = ReadU32(image, sh + 0x2c); // sh_info: number of Verneed entries
                long strtabHeader = shoff + (long)ReadU32(image, sh + 0x28) * shentsize; // sh_link
                long strtabOffset = (long)ReadU64(image, strtabHeader + 0x18);

                // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                long need = secOffset;
                for (uint n = 0; n < entryCount; n++)
                {
                    int auxCount = ReadU16(image, need + 2);
                    long aux = need + ReadU32(image, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        string name = ReadCString(image, strtabOffset + ReadU32(image, aux + 8));
                        if (name == versionName)
                            return aux + 4;
                        aux += ReadU32(image, aux + 12);
                    }
                    uint next = ReadU32(image, need + 12);
                    if (next == 0)
                        break;
                    need += next;
                }
            }
            return -1;
        }

        /// <summary>
        /// Whether the host's libstdc++ provides <paramref name="versionName"/> (e.g. "GLIBCXX_3.4.32"):
        /// null when not on Linux or no libstdc++ is found in the usual places, so callers do nothing.
        /// </summary>
        public static bool? HostLibStdCxxProvides(string versionName)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                return null;
            string? lib = FindHostLibStdCxx();
            if (lib == null)
                return null;
            // The version names sit NUL-terminated in .dynstr; a plain byte search is enough.
            return IndexOf(File.ReadAllBytes(lib), Encoding.ASCII.GetBytes(versionName + "\0")) >= 0;
        }

        public static string? FindHostLibStdCxx()
        {
            foreach (string candidate in LibStdCxxCandidates)
            {
                if (File.Exists(candidate))
                    return candidate;
            }
            return null;
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                    j++;
                if (j == needle.Length)
                    return i;
            }
            return -1;
        }

        private static void CheckRange(byte[] image, long at, int size)
        {
            if (at < 0 || at + size > image.Length)
                throw new InvalidDataException($"Truncated or corrupt ELF file: read of {size} bytes at 0x{at:x} is past the end ({image.Length} bytes).");
        }

        private static ushort ReadU16(byte[] b, long at)
        {
            CheckRange(b, at, 2);
            return (ushort)(b[at] | b[at + 1] << 8);
        }

        private static uint ReadU32(byte[] b, long at)
        {
            CheckRange(b, at, 4);
            return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
        }

        private static ulong ReadU64(byte[] b, long at) => ReadU32(b, at) | (ulong)ReadU32(b, at + 4) << 32;

        private static string ReadCString(byte[] b, long at)
        {
            long end = at;
            while (true)
            {
                CheckRange(b, end, 1);
                if (b[end] == 0)
                    break;
                end++;
            }
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }
}

#if !NASACTORS_ELF_PATCHER_ONLY
namespace NasActors.Build
{
    using Microsoft.Build.Framework;

    /// <summary>MSBuild wrapper: weakens <see cref="Version"/> in each of <see cref="Files"/> when the host libstdc++ lacks it.</summary>
    public class PatchElfVersionNeed : Microsoft.Build.Utilities.Task
    {
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        [Required]
        public string Version { get; set; } = "";

        public override bool Execute()
        {
            // A host with a new enough libstdc++ (or a non-Linux host) loads the library as it is: leave it alone.
            if (ElfVersionNeedPatcher.HostLibStdCxxProvides(Version) != false)
                return true;

            foreach (ITaskItem file in Files)
            {
                string path = file.GetMetadata("FullPath");
                try
                {
                    ElfPatchResult result = ElfVersionNeedPatcher.MarkVersionNeedWeak(path, Version);
                    if (result == ElfPatchResult.Patched)
                        Log.LogMessage(MessageImportance.Normal, $"Marked version need {Version} weak in {path}: the host libstdc++ lacks it.");
                    else
                        Log.LogMessage(MessageImportance.Low, $"{path}: {Version} {result}.");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    // A warning, not an error: the build output is still usable on hosts with a newer libstdc++.
                    Log.LogWarning($"Could not mark {Version} weak in {path}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
}
#endif

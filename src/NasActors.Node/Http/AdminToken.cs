using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NasActors.Node.Http;

/// <summary>
/// The bearer token of the admin API's mutating calls (null: none required, loopback only). Compared in
/// constant time over hashes of equal length; neither the expected nor the presented token is ever logged.
/// </summary>
public sealed class AdminToken(string? expected)
{
    private readonly byte[]? _expectedHash = expected is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(expected));

    public bool Allows(HttpRequest request)
    {
        if (_expectedHash is null) return true;
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash);
    }
}

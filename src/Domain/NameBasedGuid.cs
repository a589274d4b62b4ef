using System.Security.Cryptography;
using System.Text;

namespace EventSourcedClinic.Domain;

/// <summary>
/// RFC 9562 version 5 (name-based, SHA-1) ids: the same namespace and name always give the same id, so a stream that
/// belongs to another (a therapist's availability) can be found from the owner's id without a lookup.
/// </summary>
public static class NameBasedGuid
{
    public static Guid Create(Guid namespaceId, string name)
    {
        var namespaceBytes = namespaceId.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var hash = SHA1.HashData([.. namespaceBytes, .. nameBytes]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSourcedClinic.Api.PersonalData;

/// <summary>
/// How the event store writes <see cref="PersonalText"/>: <c>{"o": owner, "c": base64(AES-GCM)}</c> under the owner's key.
/// A value whose key was destroyed reads back with no text. A plain string (written before encryption existed) reads as is.
/// </summary>
public sealed class EncryptedPersonalTextConverter(PatientKeys keys) : JsonConverter<PersonalText>
{
    public override PersonalText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new PersonalText(Guid.Empty, reader.GetString());
        }

        Guid owner = default;
        byte[]? cipher = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "o":
                    owner = reader.GetGuid();
                    break;
                case "c":
                    cipher = reader.GetBytesFromBase64();
                    break;
            }
        }

        var key = cipher is null ? null : keys.ForReading(owner);
        return key is null ? new PersonalText(owner, null) : new PersonalText(owner, Encoding.UTF8.GetString(MasterKey.Open(key, cipher!, owner)));
    }

    public override void Write(Utf8JsonWriter writer, PersonalText value, JsonSerializerOptions options)
    {
        if (value.OwnerId == Guid.Empty)
        {
            // A value read from before encryption has no owner to key it with; it is written back as it was read.
            writer.WriteStringValue(value.Value);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("o", value.OwnerId);
        if (value.Value is { } text)
        {
            writer.WriteBase64String("c", MasterKey.Seal(keys.ForWriting(value.OwnerId), Encoding.UTF8.GetBytes(text), value.OwnerId));
        }

        writer.WriteEndObject();
    }
}

/// <summary>How the HTTP API shows <see cref="PersonalText"/> to someone allowed to see it: the text itself (null once erased).</summary>
public sealed class PlainPersonalTextConverter : JsonConverter<PersonalText>
{
    public override PersonalText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(Guid.Empty, reader.GetString());

    public override void Write(Utf8JsonWriter writer, PersonalText value, JsonSerializerOptions options)
    {
        if (value.Value is { } text)
        {
            writer.WriteStringValue(text);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

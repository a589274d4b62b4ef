using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSourcedClinic.Api.Kernel;

/// <summary>The JSON of the clinic's HTTP API (and of what it exports): camelCase, enums as text, strict on required values.</summary>
public static class ClinicJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        // A command missing a field, or with null where the record says never null, is a 400, not a default value.
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new PersonalData.PlainPersonalTextConverter());
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
    }
}

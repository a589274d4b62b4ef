using System.Reflection;
using EventSourcedClinic.Domain;

namespace EventSourcedClinic.Architecture.Tests;

/// <summary>
/// Messages wait in Wolverine's tables as plain JSON until they are handled, outside the per-patient encryption: none
/// may carry personal text (ADR 0008). An erasure test found a cancellation's reason there once.
/// </summary>
public class MessageTests
{
    [Fact]
    public void no_message_a_handler_takes_carries_personal_text()
    {
        var messages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.Name is "Handle" or "HandleAsync" && m.GetParameters().Length > 0)
            .Select(m => m.GetParameters()[0].ParameterType)
            .Distinct().ToArray();
        messages.Length.ShouldBeGreaterThan(3);
        messages.Where(m => CarriesPersonalText(m)).Select(t => t.FullName).ShouldBeEmpty();
    }

    [Fact]
    public void the_check_sees_personal_text_inside_a_message()
    {
        CarriesPersonalText(typeof(Domain.Scheduling.Booking.AppointmentCancelled)).ShouldBeTrue();
    }

    private static bool CarriesPersonalText(Type type) => CarriesPersonalText(type, 0);

    private static bool CarriesPersonalText(Type type, int depth)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType()! : type);
        if (inner == typeof(PersonalText))
        {
            return true;
        }

        return depth < 4 && inner.Namespace?.StartsWith("EventSourcedClinic", StringComparison.Ordinal) == true && !inner.IsEnum
            && inner.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => CarriesPersonalText(p.PropertyType, depth + 1));
    }
}

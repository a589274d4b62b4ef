using System.Globalization;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>
/// What a notification says, in the person's language: English and Welsh (Cymraeg). A kind without a Welsh text is sent
/// in English. Nothing here carries clinical content. (The Welsh wording should be reviewed by a first-language speaker
/// before going live.)
/// </summary>
public static class NotificationText
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly CultureInfo Welsh = CultureInfo.GetCultureInfo("cy-GB");

    private static readonly Dictionary<string, (string Subject, string Body)> Cymraeg = new()
    {
        ["reminder"] = ("Mae eich sesiwn therapi yn agosáu", "Mae eich sesiwn ar {when} (amser y DU)."),
        ["session-booked"] = ("Mae eich sesiwn wedi'i harchebu", "Mae eich sesiwn wedi'i harchebu ar gyfer {when} (amser y DU)."),
        ["session-moved"] = ("Mae eich sesiwn wedi symud", "Mae eich sesiwn bellach ar {when} (amser y DU)."),
        ["session-cancelled"] = ("Mae eich sesiwn wedi'i chanslo", "Mae eich sesiwn ar {when} (amser y DU) wedi'i chanslo."),
        ["admitted"] = ("Mae eich therapydd wedi eich gadael i mewn", "Mae eich therapydd yn barod: ymunwch â'ch sesiwn nawr."),
        ["refund-issued"] = ("Mae eich ad-daliad ar ei ffordd", "Rydym wedi ad-dalu eich taliad i'r cerdyn y talwyd ag ef. Gall gymryd hyd at 10 diwrnod gwaith i ymddangos."),
        ["payment-refunded"] = ("Mae eich taliad wedi'i ad-dalu",
            "Cyrhaeddodd eich taliad ar ôl i'r amser a gadwyd ar gyfer eich sesiwn ddod i ben, ac mae'r amser wedi'i archebu ers hynny. " +
            "Rydym wedi ad-dalu'r swm llawn; dewiswch amser arall os gwelwch yn dda."),
        ["new-message-from-therapist"] = ("Mae gennych neges newydd gan eich therapydd", "Mae eich therapydd wedi anfon neges atoch."),
        ["new-message-from-clinic"] = ("Mae gennych neges newydd gan y clinig", "Mae'r clinig wedi anfon neges atoch."),
        ["new-message-from-patient"] = ("Neges newydd gan glaf", "Mae claf yn eich gofal wedi anfon neges atoch."),
    };

    public static string Footer(string language) => language == "cy"
        ? "Mewngofnodwch i EventSourcedClinic i weld mwy. Ni chaiff atebion i'r e-bost hwn eu darllen.\n" +
          "Os ydych mewn argyfwng, ffoniwch 999, neu 111 a dewis opsiwn 2 ar gyfer iechyd meddwl, neu'r Samariaid ar 116 123."
        : "Sign in to EventSourcedClinic to see more. This e-mail is sent by the clinic's system; replies are not read.\n" +
          "If you are in crisis, call 999, or NHS 111 and choose option 2 for mental health, or Samaritans on 116 123.";

    /// <summary>The subject and body in the language, with the session's time (if any) written the way that language writes it.</summary>
    public static (string Subject, string Body) Render(Notification notification, string language)
    {
        var kind = notification.Kind.StartsWith("reminder", StringComparison.Ordinal) ? "reminder" : notification.Kind;
        var (subject, body) = language == "cy" && Cymraeg.TryGetValue(kind, out var welsh) ? welsh : (notification.Subject, notification.Body);
        if (notification.At is { } at)
        {
            var local = TimeZoneInfo.ConvertTime(at, UkTime.London);
            body = body.Replace("{when}", language == "cy"
                ? local.ToString("dddd d MMMM 'am' HH:mm", Welsh)
                : local.ToString("dddd d MMMM 'at' HH:mm", English), StringComparison.Ordinal);
        }

        return (subject, body);
    }
}

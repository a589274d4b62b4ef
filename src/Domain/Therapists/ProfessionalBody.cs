namespace EventSourcedClinic.Domain.Therapists;

/// <summary>The UK registers and accrediting bodies a clinic checks a therapist against.</summary>
public enum ProfessionalBody
{
    /// <summary>Health and Care Professions Council (practitioner psychologists, statutory register).</summary>
    Hcpc,

    /// <summary>British Association for Counselling and Psychotherapy.</summary>
    Bacp,

    /// <summary>UK Council for Psychotherapy.</summary>
    Ukcp,

    /// <summary>British Psychological Society.</summary>
    Bps,
}

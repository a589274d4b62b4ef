using EventSourcedClinic.Domain.Therapists;

namespace EventSourcedClinic.Api.Therapists.Directory;

/// <summary>What a search of listed therapists and a search of their free slots filter by.</summary>
public interface IDirectoryFilter
{
    string? Language { get; }

    string? Method { get; }

    string? Specialisation { get; }

    int? MaxFeePence { get; }
}

/// <summary>The filter's rules, included by each search's validator.</summary>
public sealed class DirectoryFilterValidator : AbstractValidator<IDirectoryFilter>
{
    /// <summary>Built once: building a validator compiles its rules.</summary>
    public static readonly DirectoryFilterValidator Instance = new();

    public DirectoryFilterValidator()
    {
        RuleFor(x => x.Language!).KnownCodes(Catalogue.Languages, "ISO 639-1 language").When(x => x.Language is not null);
        RuleFor(x => x.Method!).KnownCodes(Catalogue.Methods, "therapy method").When(x => x.Method is not null);
        RuleFor(x => x.Specialisation!).KnownCodes(Catalogue.Specialisations, "specialisation").When(x => x.Specialisation is not null);
        RuleFor(x => x.MaxFeePence).InclusiveBetween(0, Catalogue.MaxFeePence).When(x => x.MaxFeePence is not null);
    }
}

using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Profile;

namespace EventSourcedClinic.Api.Therapists.Profile;

/// <summary>A therapist states their public profile (an admin may do it for them); only the parts that changed become events.</summary>
public static class UpdateProfileEndpoint
{
    public static ProblemDetails Validate(UpdateProfileRequest command, Guid therapistId, ClaimsPrincipal user) =>
        Actor.From(user).MayActForTherapist(therapistId)
            ? Problems.Validate(command, Validator.Instance)
            : Problems.Forbidden("A therapist edits only their own profile.");

    [WolverinePut("/api/therapists/{therapistId}/profile"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Put(UpdateProfileRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => UpdateProfile.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<UpdateProfileRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).StreamVersion();
            RuleFor(x => x.Specialisations).KnownCodes(Catalogue.Specialisations, "specialisation", 12);
            RuleFor(x => x.Methods).KnownCodes(Catalogue.Methods, "therapy method", 8);
            RuleFor(x => x.Languages).KnownCodes(Catalogue.Languages, "ISO 639-1 language", 10);
            RuleFor(x => x.Methods).Must(m => m is not { Length: 0 }).WithMessage("Name at least one therapy method.");
            RuleFor(x => x.Languages).Must(l => l is not { Length: 0 }).WithMessage("Name at least one language.");
            RuleFor(x => x.Biography).NotNull().MaximumLength(Catalogue.MaxBiographyLength);
            RuleFor(x => x.FeePence).InclusiveBetween(0, Catalogue.MaxFeePence)
                .WithMessage($"The session fee is in pence, from 0 to {Catalogue.MaxFeePence}.");
            RuleFor(x => x.SessionMinutes).InclusiveBetween(Catalogue.MinSessionMinutes, Catalogue.MaxSessionMinutes);
        }
    }
}

/// <summary>The request body of <see cref="UpdateProfile"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record UpdateProfileRequest(
    long ExpectedVersion, string[] Specialisations, string[] Methods, string[] Languages, string Biography, int FeePence, int SessionMinutes) : IExpectVersion
{
    public static implicit operator UpdateProfile(UpdateProfileRequest request) =>
        new(request.ExpectedVersion, request.Specialisations, request.Methods, request.Languages, request.Biography, request.FeePence, request.SessionMinutes);
}

using System.Security.Claims;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Scheduling.Availability;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>A therapist takes back a period of time off.</summary>
public static class RemoveTimeOffEndpoint
{
    public static ProblemDetails Validate(RemoveTimeOff command, Guid therapistId, ClaimsPrincipal user) =>
        Actor.From(user).MayActForTherapist(therapistId) ? Problems.Validate(command, new Validator()) : Problems.Forbidden("Therapists manage their own time off.");

    [WolverinePost("/api/therapists/{therapistId}/availability/time-off-removal"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static async Task<IResult> Post(RemoveTimeOff command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), cancellation);
        if (stream.Aggregate is not { } availability)
        {
            return Results.Problem(Problems.NotFound("availability"));
        }

        var version = stream.CurrentVersion ?? 0;
        if (command.ExpectedVersion != version)
        {
            return Results.Problem(Problems.StaleVersion("availability", version, command.ExpectedVersion));
        }

        var decision = RemoveTimeOff.Decide(availability, command, time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new StreamVersion(stream.Id, version + decision.Events.Count));
    }

    public sealed class Validator : AbstractValidator<RemoveTimeOff>
    {
        public Validator() => RuleFor(x => x.ExpectedVersion).GreaterThan(0);
    }
}

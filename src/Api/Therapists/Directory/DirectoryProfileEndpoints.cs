using FluentValidation;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Projections.Therapists;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Wolverine.Http;

namespace EventSourcedClinic.Api.Therapists.Directory;

public static class DirectoryProfileEndpoints
{
    /// <summary>One listed therapist's public profile; unlisted therapists are not found.</summary>
    [WolverineGet("/api/directory/therapists/{therapistId}"), AllowAnonymous]
    [ProducesResponseType<PublicTherapistProfile>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetPublic(Guid therapistId, IQuerySession session, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation);
        return entry is { IsListed: true }
            ? Results.Ok(PublicTherapistProfile.From(entry))
            : Results.Problem(Problems.NotFound("listed therapist"));
    }

    /// <summary>The codes a profile and a search may use.</summary>
    [WolverineGet("/api/directory/catalogue"), AllowAnonymous]
    public static DirectoryCatalogue GetCatalogue() => new(
        Catalogue.Specialisations.OrderBy(x => x.Key).Select(x => new CodeAndName(x.Key, x.Value)).ToArray(),
        Catalogue.Methods.OrderBy(x => x.Key).Select(x => new CodeAndName(x.Key, x.Value)).ToArray(),
        Catalogue.Languages.OrderBy(x => x.Key).Select(x => new CodeAndName(x.Key, x.Value)).ToArray());

    /// <summary>The whole record the clinic keeps on a therapist, with its stream version: for admins and for the therapist themself.</summary>
    [WolverineGet("/api/therapists/{therapistId}"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<TherapistDirectoryEntry>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetRecord(Guid therapistId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if (actor.Is(ClinicRoles.Therapist) && actor.UserId != therapistId)
        {
            return Results.Problem(Problems.NotFound("therapist"));
        }

        var entry = await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation);
        return entry is null ? Results.Problem(Problems.NotFound("therapist")) : Results.Ok(entry);
    }

    /// <summary>Every therapist, listed or not, for the admin's onboarding and verification work.</summary>
    [WolverineGet("/api/therapists"), Authorize(Roles = ClinicRoles.Admin)]
    public static async Task<IResult> GetAll(bool? verified, bool? suspended, int? page, int? pageSize, IQuerySession session, CancellationToken cancellation)
    {
        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (size is < 1 or > SearchDirectoryEndpoint.MaxPageSize || number < 1)
        {
            return Results.Problem(Problems.Validate(new object(), new InlineValidator<object>
            {
                v => v.RuleFor(_ => size).InclusiveBetween(1, SearchDirectoryEndpoint.MaxPageSize).OverridePropertyName("pageSize"),
                v => v.RuleFor(_ => number).GreaterThanOrEqualTo(1).OverridePropertyName("page"),
            }));
        }

        IQueryable<TherapistDirectoryEntry> query = session.Query<TherapistDirectoryEntry>();
        if (verified is { } v)
        {
            query = query.Where(x => x.IsVerified == v);
        }

        if (suspended is { } s)
        {
            query = query.Where(x => x.IsSuspended == s);
        }

        var entries = await query.OrderBy(x => x.FullName).ThenBy(x => x.Id).Stats(out var stats)
            .Skip((number - 1) * size).Take(size).ToListAsync(cancellation);
        return Results.Ok(new TherapistRecords(entries.ToArray(), number, size, stats.TotalResults));
    }
}

public sealed record DirectoryCatalogue(CodeAndName[] Specialisations, CodeAndName[] Methods, CodeAndName[] Languages);

public sealed record TherapistRecords(TherapistDirectoryEntry[] Items, int Page, int PageSize, long Total);

// What nearly every slice of the API uses: the kernel, roles, Marten sessions, Wolverine endpoints and problems; and
// the FHIR edge's model and mapping, as R4.
global using System.Security.Claims;
global using EventSourcedClinic.Api.Access;
global using EventSourcedClinic.Api.Identity;
global using EventSourcedClinic.Api.Kernel;
global using EventSourcedClinic.Domain;
global using EventSourcedClinic.Integrations.Fhir;
global using FluentValidation;
global using Marten;
global using Microsoft.AspNetCore.Authorization;
global using Microsoft.AspNetCore.Mvc;
global using Wolverine.Http;
global using R4 = Hl7.Fhir.Model;

using NasActors.Cli;

// Composition root: Torch-backed plug-ins join Core's registries before any spec is read (controller: lstm).
NasActors.Training.Policies.TrainingPolicies.Register();

// Redirected output (logs, batch jobs) has no terminal width: give tables room instead of 80 columns.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 200;
return await NasApp.RunAsync(args);

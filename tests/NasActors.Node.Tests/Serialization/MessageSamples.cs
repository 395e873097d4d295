using System.Reflection;
using Akka.Actor;

namespace NasActors.Node.Tests.Serialization;

/// <summary>
/// Builds a sample of any message record by reflection: every constructor argument and init-only property gets a
/// value that is not its type's default (so a field lost on the way shows up), collections get one element.
/// </summary>
public sealed class MessageSamples(IActorRef actor)
{
    public object Of(Type type, int depth = 0)
    {
        if (depth > 10) throw new InvalidOperationException($"{type.Name}: nesting too deep for a sample");
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Of(underlying, depth);
        if (type == typeof(string)) return "sample-é";
        if (type == typeof(int)) return 3;
        if (type == typeof(long)) return 5L;
        if (type == typeof(double)) return 0.25;
        if (type == typeof(bool)) return true;
        if (type == typeof(byte[])) return new byte[] { 1, 2, 250 };
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.FromHours(1));
        if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(2.5);
        if (typeof(IActorRef).IsAssignableFrom(type)) return actor;
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Of(type.GetElementType()!, depth + 1), 0);
            return array;
        }
        if (type.IsGenericType && type.GetGenericArguments() is { Length: 2 } pair && type.Name.Contains("Dictionary"))
        {
            var dictionary = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(pair))!;
            dictionary.Add(Of(pair[0], depth + 1), Of(pair[1], depth + 1));
            return dictionary;
        }
        if (type.IsGenericType && type.GetGenericArguments() is { Length: 1 } single && typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(single))!;
            list.Add(Of(single[0], depth + 1));
            return list;
        }
        return Record(type, depth);
    }

    private object Record(Type type, int depth)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                          ?? throw new InvalidOperationException($"{type.Name} has no public constructor to build a sample with");
        var parameters = constructor.GetParameters();
        var value = constructor.Invoke(parameters.Select(p => Of(p.ParameterType, depth + 1)).ToArray());
        var fromConstructor = parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.SetMethod is { IsPublic: true } && !fromConstructor.Contains(property.Name))
                property.SetValue(value, Of(property.PropertyType, depth + 1));
        return value;
    }
}

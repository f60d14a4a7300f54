package dev.gafail.engine;

import java.util.List;

/** The descriptive half of a step type, given once in the constructor; subclasses write the behaviour. */
public abstract class AbstractAction<P, O extends Record> implements Action<P, O> {

    private final String name;
    private final Class<P> parameterType;
    private final Class<O> outputType;
    private final boolean readOnly;
    private final List<String> iamActions;
    private final String parameterSchema;

    protected AbstractAction(String name, Class<P> parameterType, Class<O> outputType, boolean readOnly,
                             List<String> iamActions, String parameterSchema) {
        this.name = name;
        this.parameterType = parameterType;
        this.outputType = outputType;
        this.readOnly = readOnly;
        this.iamActions = List.copyOf(iamActions);
        this.parameterSchema = parameterSchema;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Class<P> parameterType() {
        return parameterType;
    }

    @Override
    public final Class<O> outputType() {
        return outputType;
    }

    @Override
    public final String parameterSchema() {
        return parameterSchema;
    }

    @Override
    public final List<String> iamActions() {
        return iamActions;
    }

    @Override
    public final boolean readOnly() {
        return readOnly;
    }
}

package org.pgmap.dsl.parsing;

import org.eclipse.xtext.common.services.DefaultTerminalConverters;
import org.eclipse.xtext.conversion.IValueConverter;
import org.eclipse.xtext.conversion.ValueConverter;
import org.eclipse.xtext.conversion.ValueConverterException;
import org.eclipse.xtext.conversion.impl.INTValueConverter;
import org.eclipse.xtext.nodemodel.INode;

/** The terminals' values, with an error that says what is wrong with a number too large for an int. */
public class PgmapValueConverters extends DefaultTerminalConverters {

	private final IValueConverter<Integer> numbers = new INTValueConverter() {
		@Override
		public Integer toValue(String string, INode node) {
			if (string == null || string.isEmpty()) {
				throw new ValueConverterException("a number is missing here", node, null);
			}
			try {
				return Integer.parseInt(string, 10);
			} catch (NumberFormatException e) {
				throw new ValueConverterException((string.length() > 24 ? string.substring(0, 21) + "..." : string)
						+ " is too large: numbers in a spec are at most " + Integer.MAX_VALUE
						+ " (and the model's limits are far smaller)", node, null);
			}
		}
	};

	@Override
	@ValueConverter(rule = "INT")
	public IValueConverter<Integer> INT() {
		return numbers;
	}
}

"""The chat channels, one folder each, behind one contract (`base.ChannelAdapter`) and listed in
`registry.CHANNELS`: adding a channel is its folder plus one registry line."""

"""Where things are: the offline gazetteer, postcodes, turning typed places into points,
geocoders (offline and opt-in online), distances, and exclusion zones."""

package io.snapbus.jobs.catalog;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the catalog's settings. */
@Configuration
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {
}

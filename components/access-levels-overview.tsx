'use client';

import { Badge, Card, Flex, Heading, Text } from '@aws-amplify/ui-react';
import { accessLevelInfo, accessLevels } from '@/lib/access-levels';

/** The two access levels a team member can hold, with Amplify Studio's wording. */
export function AccessLevelsOverview() {
  return (
    <Card
      variation="outlined"
      padding="large"
      marginTop="large"
      as="section"
      aria-labelledby="access-levels-heading"
    >
      <Heading level={2} fontSize="large" id="access-levels-heading" marginBottom="small">
        Access levels
      </Heading>
      <Flex as="dl" direction="column" gap="medium" margin="0">
        {accessLevels.map((level) => {
          const info = accessLevelInfo[level];
          return (
            <div key={level}>
              <Text as="dt" fontWeight="bold">
                <Badge variation={level === 'full' ? 'info' : undefined} marginInlineEnd="xs">
                  {info.label}
                </Badge>
              </Text>
              <Text as="dd" margin="xxs 0 0" color="font.secondary">
                {info.description}
              </Text>
            </div>
          );
        })}
      </Flex>
    </Card>
  );
}
